import re
from typing import List

from fastapi import FastAPI
from pydantic import BaseModel, field_validator

app = FastAPI()

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$"
)


class CorsSettings(BaseModel):
    tenant_id: int
    allowed_hosts: List[str]

    @field_validator("allowed_hosts")
    @classmethod
    def validate_hosts(cls, hosts):
        cleaned = []
        for host in hosts:
            host = host.strip().lower()
            if not HOSTNAME_RE.match(host):
                raise ValueError(f"invalid host name: {host!r}")
            cleaned.append(host.rstrip("."))
        return cleaned


@app.put("/tenants/{tenant_id}/cors")
async def update_cors(tenant_id: int, settings: CorsSettings):
    """Replace the list of origins allowed to call the tenant's API from a browser."""
    # persisted by the settings service; omitted here
    return {"tenant_id": tenant_id, "allowed_hosts": settings.allowed_hosts}
