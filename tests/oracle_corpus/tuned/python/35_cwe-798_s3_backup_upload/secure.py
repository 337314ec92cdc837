import datetime

import boto3

BUCKET = "acme-db-backups"


def upload_backup(dump_path: str) -> str:
    s3 = boto3.client("s3", region_name="eu-central-1")
    key = f"postgres/{datetime.date.today():%Y/%m/%d}/dump.sql.gz"
    s3.upload_file(dump_path, BUCKET, key, ExtraArgs={"ServerSideEncryption": "AES256"})
    return f"s3://{BUCKET}/{key}"
