import ast

from fastapi import FastAPI, HTTPException, Query

app = FastAPI()


@app.get("/geometry/area")
def polygon_area(points: str = Query(..., max_length=2000)):
    try:
        vertices = ast.literal_eval(points)
    except Exception:
        raise HTTPException(status_code=400, detail="could not parse points")
    if len(vertices) < 3:
        raise HTTPException(status_code=422, detail="a polygon needs at least 3 points")
    area = 0.0
    for (x1, y1), (x2, y2) in zip(vertices, list(vertices[1:]) + list(vertices[:1])):
        area += x1 * y2 - x2 * y1
    return {"area": abs(area) / 2}
