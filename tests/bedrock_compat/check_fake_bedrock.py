"""Drives boto3's real bedrock-runtime client against the gateway's fake Bedrock, so a fake that drifts from the
service model (paths, JSON shapes, error framing) fails. Usage: check_fake_bedrock.py <fake base url>"""
import sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

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

# ConverseStream: the fake's event-stream frames (prelude, headers, CRCs) must parse in botocore's decoder.
stream = client.converse_stream(modelId="anthropic.claude-3-5-haiku-20241022-v1:0",
                                messages=[{"role": "user", "content": [{"text": "hello"}]}])
events = list(stream["stream"])
kinds = [next(iter(e)) for e in events]
assert kinds[0] == "messageStart" and kinds[-2:] == ["messageStop", "metadata"], kinds
text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
assert text == "hello from fake bedrock", text
assert events[-1]["metadata"]["usage"]["inputTokens"] == 20, events[-1]
tool = client.converse_stream(modelId="tool-stream", messages=[{"role": "user", "content": [{"text": "x"}]}])
events = list(tool["stream"])
starts = [e["contentBlockStart"]["start"]["toolUse"] for e in events if "contentBlockStart" in e]
assert starts == [{"toolUseId": "tooluse_1", "name": "get_weather"}], starts
args = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events if "contentBlockDelta" in e)
assert args == '{"city":"Paris"}', args
# A mid-stream exception frame surfaces in botocore as an EventStreamError with the exception's name.
try:
    for _ in client.converse_stream(modelId="throttle-stream", messages=[{"role": "user", "content": [{"text": "x"}]}])["stream"]:
        pass
    raise AssertionError("expected a throttlingException frame")
except EventStreamError as e:
    assert e.response["Error"]["Code"] == "throttlingException", e.response

# InvokeModel (embeddings): the fake's Titan answer as boto3 reads it.
import json
answer = client.invoke_model(modelId="amazon.titan-embed-text-v2:0", body=json.dumps({"inputText": "hello"}))
assert json.loads(answer["body"].read())["embedding"] == [5.0, 0.5]
print("fake bedrock ok")
