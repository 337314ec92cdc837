import os
import shutil
import zipfile

THEMES_DIR = "/srv/cms/themes"
MAX_ENTRIES = 500
MAX_TOTAL_UNCOMPRESSED = 50 * 1024 * 1024  # 50 MiB
ALLOWED_SUFFIXES = {".html", ".css", ".js", ".png", ".jpg", ".svg", ".woff2", ".json"}


class ThemeError(ValueError):
    pass


def install_theme(zip_path, theme_name):
    """Unpack an uploaded theme archive into THEMES_DIR/<theme_name> and return
    the list of installed files."""
    dest = os.path.realpath(os.path.join(THEMES_DIR, theme_name))
    if os.path.dirname(dest) != os.path.realpath(THEMES_DIR):
        raise ThemeError("invalid theme name")

    with zipfile.ZipFile(zip_path) as zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) > MAX_ENTRIES:
            raise ThemeError("too many files in theme archive")
        if sum(m.file_size for m in members) > MAX_TOTAL_UNCOMPRESSED:
            raise ThemeError("theme archive is too large when unpacked")

        installed = []
        for member in members:
            if os.path.splitext(member.filename)[1].lower() not in ALLOWED_SUFFIXES:
                continue
            target = os.path.realpath(os.path.join(dest, member.filename))
            if not target.startswith(dest + os.sep):
                raise ThemeError(f"unsafe path in archive: {member.filename}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            installed.append(os.path.relpath(target, dest))
    return installed
