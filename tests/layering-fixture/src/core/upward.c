/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A core file that reaches up into the buddy: tests/layering.py must refuse it. */
#include "buddy/buddy.h"
