import csv
import os
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from celery import shared_task
from django.core.mail import send_mail
from psycopg import sql

EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", "/var/lib/dashboard/exports"))
WAREHOUSE_DSN = os.environ.get("WAREHOUSE_DSN", "dbname=warehouse")


@shared_task(bind=True, max_retries=2, default_retry_delay=60)
def export_reporting_table(self, table_name: str, user_email: str, since: str | None = None) -> str:
    """Export reporting.<table_name> to CSV. `table_name` comes from the export form."""
    query = sql.SQL("SELECT * FROM {} ").format(sql.Identifier("reporting", table_name))
    params: list[str] = []
    if since:
        query += sql.SQL("WHERE updated_at >= %s ")
        params.append(since)
    query += sql.SQL("ORDER BY 1")

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    out_path = EXPORT_DIR / f"export-{stamp}-{self.request.id}.csv"
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)

    rows_written = 0
    try:
        with psycopg.connect(WAREHOUSE_DSN) as conn, conn.cursor() as cur:
            cur.execute(query, params)
            with open(out_path, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow([col.name for col in cur.description])
                for row in cur:
                    writer.writerow(row)
                    rows_written += 1
    except psycopg.OperationalError as exc:
        raise self.retry(exc=exc)

    send_mail(
        subject="Your export is ready",
        message=f"{rows_written} rows were exported. Download: /exports/{out_path.name}",
        from_email=None,
        recipient_list=[user_email],
    )
    return str(out_path)
