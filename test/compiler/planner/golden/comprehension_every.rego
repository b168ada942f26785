# entrypoints: test/p test/all
package test

p := {k: n | some k, v in input.o; n := count(v)}

all if every x in input.xs { x > 0 }
