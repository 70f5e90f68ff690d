/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for linux/build_bug.h: static_assert() with one or two
 * arguments; with one, the condition's text is the message.
 */
#ifndef SHIM_LINUX_BUILD_BUG_H
#define SHIM_LINUX_BUILD_BUG_H
#define SHIM_ASSERT_PICK(_1, _2, name, ...) name
#define SHIM_ASSERT_1(cond) _Static_assert(cond, #cond)
#define SHIM_ASSERT_2(cond, msg) _Static_assert(cond, msg)
#define static_assert(...) \
	SHIM_ASSERT_PICK(__VA_ARGS__, SHIM_ASSERT_2, SHIM_ASSERT_1, -)(__VA_ARGS__)
#endif
