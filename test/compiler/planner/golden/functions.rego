# entrypoints: test/p
package test

f([a, b]) := a + b

f(0) := 0

p := f([1, 2])
