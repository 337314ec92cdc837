"""Run a quick health check on every host in the inventory file."""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import paramiko

HEALTH_COMMAND = "uptime && df -h / && free -m"
SSH_USER = os.environ.get("HEALTH_SSH_USER", "ops")
SSH_KEY = os.path.expanduser(os.environ.get("HEALTH_SSH_KEY", "~/.ssh/id_ed25519"))


def check_host(host: str) -> tuple[str, str]:
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(host, username=SSH_USER, key_filename=SSH_KEY, timeout=10)
        _, stdout, stderr = client.exec_command(HEALTH_COMMAND, timeout=20)
        out = stdout.read().decode(errors="replace")
        err = stderr.read().decode(errors="replace")
        status = stdout.channel.recv_exit_status()
        return host, out if status == 0 else f"exit {status}: {err}"
    except (paramiko.SSHException, OSError) as exc:
        return host, f"unreachable: {exc}"
    finally:
        client.close()


def read_inventory(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} INVENTORY", file=sys.stderr)
        return 2
    hosts = read_inventory(argv[1])
    failures = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        for host, report in pool.map(check_host, hosts):
            print(f"=== {host} ===\n{report}")
            failures += report.startswith(("unreachable", "exit "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
