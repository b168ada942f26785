# entrypoints: test/p
package test

p := [x, y] if {
	[x, {"k": y}] = input.v
}
