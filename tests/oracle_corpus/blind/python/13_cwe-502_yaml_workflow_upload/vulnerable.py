import yaml
from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()
MAX_BYTES = 256 * 1024


@app.post("/workflows/inspect")
async def inspect_workflow(file: UploadFile = File(...)):
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise HTTPException(status_code=413, detail="workflow file too large")
    try:
        spec = yaml.load(content, Loader=yaml.Loader)
    except yaml.YAMLError as exc:
        raise HTTPException(status_code=400, detail="invalid YAML") from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("steps"), list):
        raise HTTPException(status_code=422, detail="workflow must have a list of steps")
    names = [s.get("name", f"step-{i}") for i, s in enumerate(spec["steps"]) if isinstance(s, dict)]
    return {"name": spec.get("name"), "steps": names}
