"""Runs moto_server with fixes to its ECR emulation, so tests see what AWS does.

1. AWS treats a missing `scanOnPush` in PutImageScanningConfiguration as false (it is a boolean
   with default false, and AWS SDKs omit false defaults from the request: the Rust SDK sends
   `"imageScanningConfiguration": {}`). moto ignores an empty configuration and keeps the old
   value, so turning scan-on-push off would appear to fail. The launcher applies AWS's rule.
2. DescribeImages pages like AWS (`maxResults` 1-1000, default 100, `nextToken`) and applies
   `filter.tagStatus`; moto returns every image in one page and ignores the filter, which would
   hide how many calls a reader makes and what a filter does.
3. Images report what AWS reports beside moto's fields: `imageStatus` (`ACTIVE`) and
   `artifactMediaType` (the manifest's config media type).
4. Test seeding only (no AWS behaviour): a manifest annotation `tpe.test/pushed-at` (epoch
   seconds, fractions allowed) sets the image's push time and `tpe.test/last-pulled-at` its
   `lastRecordedPullTime`, so tests can seed images with known times instead of sleeping.

It then starts moto's own server entry point with the given arguments (same as `moto_server`).
"""
import json
import sys

from moto.core.responses import ActionResult
from moto.ecr import models, responses
from moto.ecr.exceptions import InvalidParameterException
from moto.server import main


def _update_image_scanning_configuration(self, image_scanning_configuration):
    if image_scanning_configuration is not None:
        self.image_scanning_configuration = {"scanOnPush": bool(image_scanning_configuration.get("scanOnPush", False))}


models.Repository._update_image_scanning_configuration = _update_image_scanning_configuration

_image_init = models.Image.__init__


def _image_init_as_aws(self, *args, **kwargs):
    _image_init(self, *args, **kwargs)
    self.image_status = "ACTIVE"
    try:
        manifest = json.loads(self.image_manifest)
    except (TypeError, ValueError):
        return
    config = manifest.get("config") or {}
    if config.get("mediaType"):
        self.artifact_media_type = config["mediaType"]
    notes = manifest.get("annotations") or {}
    if "tpe.test/pushed-at" in notes:
        self.image_pushed_at = float(notes["tpe.test/pushed-at"])
    if "tpe.test/last-pulled-at" in notes:
        self.last_recorded_pull_time = float(notes["tpe.test/last-pulled-at"])


models.Image.__init__ = _image_init_as_aws

_describe_images = responses.ECRResponse.describe_images


def _describe_images_paged(self):
    if self._get_param("imageIds"):
        return _describe_images(self)  # AWS refuses maxResults with imageIds; no paging
    result = _describe_images(self)
    details = result.result["imageDetails"]  # repository order: push order
    status = (self._get_param("filter") or {}).get("tagStatus", "ANY")
    if status == "TAGGED":
        details = [d for d in details if getattr(d, "image_tags", None)]
    elif status == "UNTAGGED":
        details = [d for d in details if not getattr(d, "image_tags", None)]
    size = self._get_param("maxResults") or 100
    if not 1 <= int(size) <= 1000:
        raise InvalidParameterException("Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value between 1 and 1000'")
    start = int(self._get_param("nextToken") or 0)
    page = details[start:start + int(size)]
    out = {"imageDetails": page}
    if start + int(size) < len(details):
        out["nextToken"] = str(start + int(size))
    return ActionResult(out)


responses.ECRResponse.describe_images = _describe_images_paged

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
