//go:build !linux

package textpages

// Release does nothing where the kernel is not Linux.
func Release() (int, error) { return 0, nil }
