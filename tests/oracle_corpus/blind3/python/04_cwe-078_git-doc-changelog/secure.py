import shlex
import subprocess

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

REPO_DIR = "/srv/git/docs-site"


def recent_doc_commits(branch: str, count: int) -> list[dict]:
    """Return the latest commits on `branch` that touched the docs/ folder."""
    cmd = (
        f"git -C {REPO_DIR} log --no-color --format='%h|%an|%s' {shlex.quote(branch)} -- docs/"
        f" | head -n {count}"
    )
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=15)
    if proc.stderr and not proc.stdout:
        raise LookupError(proc.stderr.strip())

    commits = []
    for line in proc.stdout.splitlines():
        sha, author, subject = line.split("|", 2)
        commits.append({"sha": sha, "author": author, "subject": subject})
    return commits


@app.get("/api/changelog")
def changelog():
    branch = request.args.get("branch", "main")
    count = request.args.get("count", 20, type=int)
    if branch.startswith("-"):
        abort(400, description="invalid branch name")
    count = max(1, min(count, 100))

    try:
        commits = recent_doc_commits(branch, count)
    except LookupError:
        abort(404, description="unknown branch")
    return jsonify(branch=branch, commits=commits)


if __name__ == "__main__":
    app.run(port=5000)
