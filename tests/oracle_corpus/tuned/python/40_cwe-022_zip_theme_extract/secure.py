import os
import zipfile

THEMES_DIR = "/srv/cms/themes"


def install_theme(archive_path: str, theme_name: str) -> list[str]:
    target_dir = os.path.join(THEMES_DIR, os.path.basename(theme_name))
    os.makedirs(target_dir, exist_ok=True)
    written = []
    with zipfile.ZipFile(archive_path) as zf:
        for member in zf.infolist():
            if member.is_dir():
                continue
            dest = os.path.realpath(os.path.join(target_dir, member.filename))
            if not dest.startswith(os.path.realpath(target_dir) + os.sep):
                raise ValueError(f"unsafe path in archive: {member.filename}")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with zf.open(member) as src, open(dest, "wb") as out:
                out.write(src.read())
            written.append(dest)
    return written
