import datetime
import logging
import os
import shlex
import subprocess

logger = logging.getLogger("backup")

BACKUP_ROOT = os.environ.get("BACKUP_ROOT", "/srv/backups")


class BackupError(RuntimeError):
    pass


def backup_database(db_name, compress=True):
    """Dump the PostgreSQL database `db_name` with pg_dump into BACKUP_ROOT,
    optionally gzip-compressed, and return the path of the dump file."""
    os.makedirs(BACKUP_ROOT, exist_ok=True)
    stamp = datetime.datetime.utcnow().strftime("%Y%m%d-%H%M%S")
    out_path = os.path.join(BACKUP_ROOT, f"{db_name}-{stamp}.sql")

    cmd = f"pg_dump --no-owner --no-privileges {db_name}"
    if compress:
        out_path += ".gz"
        cmd += " | gzip -9"
    cmd += f" > {out_path}"

    logger.info("running backup: %s", cmd)
    result = subprocess.run(
        cmd,
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    logger.info("backup written to %s", out_path)
    return out_path


if __name__ == "__main__":
    import sys

    logging.basicConfig(level=logging.INFO)
    for name in sys.argv[1:]:
        print(backup_database(name))
