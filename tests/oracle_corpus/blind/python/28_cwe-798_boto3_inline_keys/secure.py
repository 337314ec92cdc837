import boto3

BUCKET = "acme-reports"


def upload_report(local_path: str, key: str) -> str:
    s3 = boto3.client(
        "s3",
        region_name="eu-west-1",
    )
    s3.upload_file(local_path, BUCKET, key, ExtraArgs={"ContentType": "application/pdf"})
    return s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=3600)
