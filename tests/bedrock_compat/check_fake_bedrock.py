"""Drives boto3's real bedrock-runtime client against the gateway's fake Bedrock, so a fake that drifts from the
service model (paths, JSON shapes, error framing) fails. Usage: check_fake_bedrock.py <fake base url>"""
import sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

client = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1",
                      aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                      config=Config(retries={"max_attempts": 1}))
answer = client.converse(modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
                         messages=[{"role": "user", "content": [{"text": "hello"}]}])
assert answer["output"]["message"]["content"][0]["text"] == "hello from fake bedrock", answer
assert answer["usage"]["inputTokens"] == 20 and answer["usage"]["cacheReadInputTokens"] == 7, answer["usage"]
assert answer["stopReason"] == "end_turn"
try:
    client.converse(modelId="throttle-me", messages=[{"role": "user", "content": [{"text": "x"}]}])
    raise AssertionError("expected ThrottlingException")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ThrottlingException", e.response
print("fake bedrock ok")
