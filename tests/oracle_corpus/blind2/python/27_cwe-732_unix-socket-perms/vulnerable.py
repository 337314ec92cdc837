import asyncio
import grp
import json
import logging
import os

log = logging.getLogger("metricsd")

SOCKET_PATH = "/run/metricsd/metricsd.sock"
SOCKET_GROUP = "metrics"


async def handle_client(reader, writer):
    """Each line from a client is a JSON metric: {"name": ..., "value": ..., "tags": {...}}."""
    while line := await reader.readline():
        try:
            metric = json.loads(line)
            log.debug("metric %s=%s", metric["name"], metric["value"])
        except (ValueError, KeyError):
            writer.write(b"ERR\n")
        else:
            writer.write(b"OK\n")
        await writer.drain()
    writer.close()


async def main():
    os.makedirs(os.path.dirname(SOCKET_PATH), exist_ok=True)
    if os.path.exists(SOCKET_PATH):
        os.unlink(SOCKET_PATH)
    server = await asyncio.start_unix_server(handle_client, path=SOCKET_PATH)
    # let the web workers (members of the metrics group) connect
    os.chown(SOCKET_PATH, -1, grp.getgrnam(SOCKET_GROUP).gr_gid)
    os.chmod(SOCKET_PATH, 0o777)
    log.info("listening on %s", SOCKET_PATH)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
