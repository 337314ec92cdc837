import mimetypes
import os
import uuid

import boto3
from botocore.exceptions import ClientError

BUCKET = os.environ.get("UPLOAD_BUCKET", "acme-user-uploads")
REGION = os.environ.get("AWS_REGION", "eu-central-1")

s3 = boto3.client(
    "s3",
    region_name=REGION,
)


def upload_user_file(user_id: int, local_path: str) -> str:
    ext = os.path.splitext(local_path)[1].lower()
    key = f"users/{user_id}/{uuid.uuid4().hex}{ext}"
    content_type = mimetypes.guess_type(local_path)[0] or "application/octet-stream"
    s3.upload_file(
        local_path,
        BUCKET,
        key,
        ExtraArgs={"ContentType": content_type, "ServerSideEncryption": "AES256"},
    )
    return key


def download_url(key: str, expires_in: int = 900) -> str | None:
    try:
        return s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=expires_in
        )
    except ClientError:
        return None


def upload_and_share(user_id: int, local_path: str) -> dict:
    key = upload_user_file(user_id, local_path)
    return {"key": key, "url": download_url(key)}
