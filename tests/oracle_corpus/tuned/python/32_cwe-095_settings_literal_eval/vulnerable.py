import ast


def load_settings(path: str) -> dict:
    settings = {}
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            try:
                settings[key.strip()] = eval(value.strip())
            except (ValueError, SyntaxError):
                settings[key.strip()] = value.strip()
    return settings
