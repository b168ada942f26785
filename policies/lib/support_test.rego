# Builders shared by the policies' unit tests (files ending in _test.rego are not shipped).
# An input document as src/inputs writes it (docs/input-document.md), reduced to what the
# policies read, and the default policy data as `rego-wasm test policies/` loads it.
package residency_guard.test_support

# policies/data/*.json load under data.data in `rego-wasm test policies/` (as in opa test).
settings := data.data.residency_guard.settings

seoul := {"cloud": "aws", "region": "ap-northeast-2", "source": "provider-config", "detail": "provider \"aws\""}

us_east := {"cloud": "aws", "region": "us-east-1", "source": "provider-config", "detail": "provider \"aws.us\""}

unknown_region := {"cloud": "aws", "region": null, "source": "unknown-at-plan", "detail": "region known only after apply"}

personal := {"DataClassification": "personal"}

# One planned resource at `location` with `values` (tags are read from values.tags).
resource(addr, location, values) := {
	"address": addr,
	"mode": "managed",
	"type": split(addr, ".")[0],
	"name": split(addr, ".")[1],
	"index": null,
	"module": "",
	"provider_config": "aws",
	"action": "create",
	"values": object.union({"region": location.region}, values),
	"unknown": [],
	"tags": object.get(values, "tags", {}),
	"references": [],
	"location": location,
	"defaults": [],
}

# The document for a set of resources (address -> resource) and the links between them.
doc(resources, edges) := {
	"schema_version": "residency-guard/input/v1",
	"resources": resources,
	"edges": edges,
	"external": {},
	"iam_statements": [],
	"opaque_modules": [],
}
