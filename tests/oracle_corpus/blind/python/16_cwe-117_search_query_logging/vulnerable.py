import logging

from fastapi import FastAPI, Query

from app.search import run_search

app = FastAPI()
logger = logging.getLogger("search")


@app.get("/search")
def search(q: str = Query(..., max_length=200), page: int = Query(1, ge=1, le=50)):
    logger.info("search query=%s page=%d", q, page)
    results = run_search(q, page)
    return {"query": q, "page": page, "results": results}
