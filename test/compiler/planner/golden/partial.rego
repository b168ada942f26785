# entrypoints: test/s test/o
package test

s contains x if {
	some x in input.xs
	x > 1
}

o[k] := v if {
	some k, v in input.m
	not v == 0
}
