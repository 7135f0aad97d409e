terraform {
  required_providers {
    alicloud = {
      source = "pcorder/alicloud"
    }
  }
}

# Credentials come from the environment (ALICLOUD_ACCESS_KEY and
# ALICLOUD_SECRET_KEY, or ALIBABA_CLOUD_ACCESS_KEY_ID and
# ALIBABA_CLOUD_ACCESS_KEY_SECRET) so that they stay out of the configuration.
provider "alicloud" {
  region = "cn-hangzhou"
}
