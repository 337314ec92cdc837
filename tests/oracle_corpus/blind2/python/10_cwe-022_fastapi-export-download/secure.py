from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()

EXPORT_ROOT = Path("/srv/app/exports").resolve()


@app.get("/exports/{file_path:path}")
async def download_export(file_path: str):
    """Serve a previously generated export (CSV/XLSX/PDF) from EXPORT_ROOT.
    Exports are organised in sub-folders per month, e.g. 2024-05/sales.csv."""
    target = (EXPORT_ROOT / file_path).resolve()
    if not target.is_relative_to(EXPORT_ROOT):
        raise HTTPException(status_code=404, detail="export not found")
    if not target.is_file():
        raise HTTPException(status_code=404, detail="export not found")
    media_types = {
        ".csv": "text/csv",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pdf": "application/pdf",
    }
    media_type = media_types.get(target.suffix.lower(), "application/octet-stream")
    return FileResponse(target, media_type=media_type, filename=target.name)
