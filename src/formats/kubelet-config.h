/* SPDX-License-Identifier: MIT */
/* kubelet's config file (--config, a KubeletConfiguration: kubeadm writes
 * /var/lib/kubelet/config.yaml), read for its top-level scalar keys only (cgroupDriver, kind,
 * containerRuntimeEndpoint). kubelet reads it with sigs.k8s.io/yaml (YAML 1.1 via go-yaml,
 * then JSON); this reader takes the subset such files are written in and refuses the rest,
 * so that a value it returns is the value kubelet reads:
 *
 *   - a JSON object (a file whose first significant character is '{'), read with jansson;
 *   - else one YAML block mapping: "key: value" lines at column 0, comments (#), blank lines,
 *     a leading "---" (a second document, or "...", ends the file as kubelet reads only the
 *     first); indented lines belong to the key above them (nested mappings and sequences are
 *     passed over; indented lines after a plain scalar continue it, folded with spaces);
 *   - scalars plain, 'single-quoted' ('' for ') or "double-quoted" (\" \\ \/ \t \n escapes),
 *     on one line.
 *
 * What it does not read, and refuses for the key asked (never guesses): anchors, aliases and
 * tags (& * !), block scalars (| >), flow collections as the value, multi-line quoted
 * scalars, tabs in indentation, a key given twice (go-yaml refuses the file). */
#pragma once

#include "basic/util.h"

/* The top-level scalar key of the document (path names it in messages). Returns 1 with *ret
 * (the value, plain scalars trimmed) and *ret_line (1-based, the key's line), 0 when the key is
 * not there, -EINVAL when the document is not a mapping this reader can read or the key's value
 * is not a scalar it reads, with "PATH:LINE: message" in *ret_error; -ENOMEM. */
int kubelet_config_get(const char *path, const char *data, size_t size, const char *key, char **ret,
        unsigned *ret_line, char **ret_error);
