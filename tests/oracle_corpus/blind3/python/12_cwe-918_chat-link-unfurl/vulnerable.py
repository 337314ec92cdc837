"""Link previews for chat messages."""
from urllib.parse import urljoin, urlparse

import httpx
from bs4 import BeautifulSoup

MAX_REDIRECTS = 3
HEADERS = {"User-Agent": "ChatLinkPreview/2.1 (+https://chat.example.com/bot)"}


def _check_url(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"unsupported URL: {url!r}")


def _fetch(client: httpx.Client, url: str) -> httpx.Response:
    for _ in range(MAX_REDIRECTS + 1):
        _check_url(url)
        resp = client.get(url)
        if resp.is_redirect:
            url = urljoin(url, resp.headers["location"])
            continue
        return resp
    raise ValueError("too many redirects")


def unfurl(url: str) -> dict:
    with httpx.Client(headers=HEADERS, timeout=5.0, follow_redirects=False) as client:
        resp = _fetch(client, url)
    resp.raise_for_status()
    if "text/html" not in resp.headers.get("content-type", ""):
        return {"url": str(resp.url)}

    soup = BeautifulSoup(resp.text, "html.parser")

    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content"):
                return tag["content"].strip()
        return None

    title = meta("og:title", "twitter:title") or (soup.title.string.strip() if soup.title and soup.title.string else None)
    image = meta("og:image", "twitter:image")
    return {
        "url": str(resp.url),
        "title": title,
        "description": meta("og:description", "description"),
        "image": urljoin(str(resp.url), image) if image else None,
    }
