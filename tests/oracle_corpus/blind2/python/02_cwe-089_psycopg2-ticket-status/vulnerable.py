import logging
import os

import psycopg2
import psycopg2.extras

log = logging.getLogger(__name__)


def get_connection():
    return psycopg2.connect(
        host=os.environ.get("PGHOST", "localhost"),
        dbname=os.environ.get("PGDATABASE", "helpdesk"),
        user=os.environ.get("PGUSER", "helpdesk"),
        password=os.environ.get("PGPASSWORD", ""),
    )


def tickets_by_status(statuses, assignee=None, limit=100):
    """Return tickets whose status is one of `statuses` (a list of strings),
    optionally only those assigned to `assignee`, newest first."""
    if not statuses:
        return []
    in_list = ", ".join(f"'{s}'" for s in statuses)
    query = "SELECT id, subject, status, assignee FROM tickets WHERE status IN (" + in_list + ")"
    params = []
    if assignee:
        query += " AND assignee = %s"
        params.append(assignee)
    query += " ORDER BY updated_at DESC LIMIT %s"
    params.append(int(limit))

    conn = get_connection()
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(query, params)
            rows = cur.fetchall()
    finally:
        conn.close()
    log.debug("found %d tickets for statuses %s", len(rows), statuses)
    return rows
