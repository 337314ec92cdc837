import html


def render_comments(comments: list[dict]) -> str:
    parts = ["<ul class='comments'>"]
    for c in comments:
        body = html.escape(c["body"])
        author = c["author"].replace("<", "").replace(">", "")
        parts.append(f"<li><b>{author}</b>: {body}</li>")
    parts.append("</ul>")
    return "\n".join(parts)
