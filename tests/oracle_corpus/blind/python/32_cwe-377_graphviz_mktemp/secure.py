import os
import subprocess
import tempfile


def render_dot(dot_source: str) -> bytes:
    src_fd, src_path = tempfile.mkstemp(suffix=".dot")
    out_fd, out_path = tempfile.mkstemp(suffix=".png")
    os.close(out_fd)
    with os.fdopen(src_fd, "w", encoding="utf-8") as f:
        f.write(dot_source)
    try:
        subprocess.run(["dot", "-Tpng", src_path, "-o", out_path], check=True, timeout=30)
        with open(out_path, "rb") as f:
            return f.read()
    finally:
        for p in (src_path, out_path):
            if os.path.exists(p):
                os.remove(p)
