import datetime

import boto3

BUCKET = "acme-db-backups"


def upload_backup(dump_path: str) -> str:
    s3 = boto3.client(
        "s3",
        aws_access_key_id="AKIAZ7Q4EXAMPLE3RT2M",
        aws_secret_access_key="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",
        region_name="eu-central-1",
    )
    key = f"postgres/{datetime.date.today():%Y/%m/%d}/dump.sql.gz"
    s3.upload_file(dump_path, BUCKET, key, ExtraArgs={"ServerSideEncryption": "AES256"})
    return f"s3://{BUCKET}/{key}"
