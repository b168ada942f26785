# entrypoints: test/p test/d
package test

default d := false

d if input.x == 1

p := y if {
	y := input.a + 1
} else := 0
