import re

PACKAGE_NAME = re.compile(r"^([a-z0-9_]+\.?)*[a-z0-9_]$")


def is_valid_package_name(name: str) -> bool:
    return bool(PACKAGE_NAME.match(name.lower()))


def register_package(index: dict, name: str, version: str, owner: str) -> None:
    if not is_valid_package_name(name):
        raise ValueError(f"invalid package name: {name!r}")
    key = name.lower()
    if key in index:
        raise ValueError("package already exists")
    index[key] = {"owner": owner, "versions": [version]}
