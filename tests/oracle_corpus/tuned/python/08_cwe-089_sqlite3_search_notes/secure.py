import sqlite3


def search_notes(db_path: str, owner: str, keyword: str) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        cur = conn.cursor()
        cur.execute("SELECT id, title, body FROM notes WHERE owner = ? AND body LIKE ? ORDER BY id DESC", (owner, f"%{keyword}%"))
        return [dict(row) for row in cur.fetchall()]
    finally:
        conn.close()
