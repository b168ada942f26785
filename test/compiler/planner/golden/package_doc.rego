# entrypoints: test
package test

a.b := 1

c[x] := true if some x in ["u"]
