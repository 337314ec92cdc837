import os

from fastapi import Depends, FastAPI, HTTPException

from app.auth import User, get_current_user

app = FastAPI()
EXPORT_ROOT = "/srv/app/exports"


@app.delete("/exports")
def delete_export(name: str, user: User = Depends(get_current_user)):
    user_dir = os.path.join(EXPORT_ROOT, str(user.id))
    target = os.path.join(user_dir, name)
    if not os.path.isfile(target):
        raise HTTPException(status_code=404, detail="export not found")
    os.remove(target)
    return {"deleted": name}
