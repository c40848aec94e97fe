"""Runs moto_server with one fix to its ECR emulation, so tests see what AWS does.

AWS treats a missing `scanOnPush` in PutImageScanningConfiguration as false (it is a boolean
with default false, and AWS SDKs omit false defaults from the request: the Rust SDK sends
`"imageScanningConfiguration": {}`). moto ignores an empty configuration and keeps the old
value, so turning scan-on-push off would appear to fail. This launcher applies AWS's rule and
then starts moto's own server entry point with the given arguments (same as `moto_server`).
"""
import sys

from moto.ecr import models
from moto.server import main


def _update_image_scanning_configuration(self, image_scanning_configuration):
    if image_scanning_configuration is not None:
        self.image_scanning_configuration = {"scanOnPush": bool(image_scanning_configuration.get("scanOnPush", False))}


models.Repository._update_image_scanning_configuration = _update_image_scanning_configuration

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
