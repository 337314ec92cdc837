"""backupd: the `backupctl` CLI talks to this daemon through a Unix socket."""
import asyncio
import json
import logging
import os
import shutil

SOCKET_PATH = "/run/backupd/control.sock"
SOCKET_GROUP = "backup"

JOBS = {
    "home": ["/home"],
    "etc": ["/etc"],
    "postgres": ["/var/backups/postgres"],
}

log = logging.getLogger("backupd")
running: dict[str, asyncio.subprocess.Process] = {}


async def run_job(name: str) -> int:
    proc = await asyncio.create_subprocess_exec(
        "restic", "backup", "--tag", name, *JOBS[name],
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    running[name] = proc
    try:
        _, err = await proc.communicate()
        if proc.returncode:
            log.error("job %s failed: %s", name, err.decode(errors="replace").strip())
        return proc.returncode
    finally:
        running.pop(name, None)


async def handle_command(request: dict) -> dict:
    cmd = request.get("cmd")
    job = request.get("job")
    if cmd == "status":
        return {"ok": True, "running": sorted(running)}
    if cmd == "run":
        if job not in JOBS:
            return {"ok": False, "error": f"unknown job {job!r}"}
        if job in running:
            return {"ok": False, "error": "already running"}
        asyncio.create_task(run_job(job))
        return {"ok": True, "started": job}
    if cmd == "cancel":
        proc = running.get(job)
        if proc is None:
            return {"ok": False, "error": "not running"}
        proc.terminate()
        return {"ok": True, "cancelled": job}
    return {"ok": False, "error": "unknown command"}


async def handle_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while line := await reader.readline():
            try:
                reply = await handle_command(json.loads(line))
            except (json.JSONDecodeError, AttributeError):
                reply = {"ok": False, "error": "bad request"}
            writer.write(json.dumps(reply).encode() + b"\n")
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()


async def main() -> None:
    os.makedirs(os.path.dirname(SOCKET_PATH), exist_ok=True)
    if os.path.exists(SOCKET_PATH):
        os.unlink(SOCKET_PATH)

    server = await asyncio.start_unix_server(handle_client, path=SOCKET_PATH)
    shutil.chown(SOCKET_PATH, group=SOCKET_GROUP)
    os.chmod(SOCKET_PATH, 0o777)
    log.info("listening on %s", SOCKET_PATH)

    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
