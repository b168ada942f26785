# entrypoints: test/p
package test

limit := 10

big contains x if {
	some x in input.xs
	x > limit
}

p := n if n := count(big) with limit as 1 with input.xs as [1, 2]
