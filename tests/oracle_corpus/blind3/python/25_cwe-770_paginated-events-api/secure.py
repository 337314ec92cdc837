import sqlite3
from contextlib import closing

from fastapi import FastAPI, Query

DB_PATH = "events.db"
MAX_PAGE_SIZE = 200

app = FastAPI()


@app.get("/api/projects/{project_id}/events")
def list_events(
    project_id: int,
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    level: str | None = Query(None, pattern="^(debug|info|warning|error)$"),
):
    offset = (page - 1) * page_size
    sql = "SELECT id, level, message, created_at FROM events WHERE project_id = ?"
    params: list = [project_id]
    if level:
        sql += " AND level = ?"
        params.append(level)
    sql += " ORDER BY created_at DESC LIMIT ? OFFSET ?"
    params.extend([page_size, offset])

    with closing(sqlite3.connect(DB_PATH)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(sql, params).fetchall()

    return {
        "page": page,
        "page_size": page_size,
        "events": [dict(row) for row in rows],
    }
