from fastapi import FastAPI, Query
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///audit.db")


@app.get("/events")
def list_events(page: int = Query(1, ge=1), size: int = Query(50)):
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, actor, action, created_at FROM events ORDER BY id DESC LIMIT :limit OFFSET :offset"),
            {"limit": size, "offset": (page - 1) * size},
        ).mappings().all()
    return {"page": page, "size": size, "events": [dict(r) for r in rows]}
