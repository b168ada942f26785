package pkgtest

# A policy of the package test's own: buckets outside Seoul, with sprintf (a host builtin).
deny contains msg if {
	some bucket in input.buckets
	bucket.region != "ap-northeast-2"
	msg := sprintf("bucket %s is in %s", [bucket.name, bucket.region])
}
