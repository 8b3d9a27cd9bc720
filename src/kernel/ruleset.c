/* ruleset: install rstmon's nft rules file and remove its table (libnftables). */
#include <stdio.h>
#include <string.h>

#include <nftables/libnftables.h>

#include "ruleset.h"

/* Copy nft's error text, first line only, into err. */
static void ruleset_error(struct nft_ctx *nft, const char *what, char *err,
			  size_t errlen)
{
	const char *msg = nft_ctx_get_error_buffer(nft);
	size_t n;

	if (msg == NULL || *msg == '\0')
		msg = "nft failed without a message";
	n = strcspn(msg, "\n");
	snprintf(err, errlen, "%s: %.*s", what, (int)n, msg);
}

static int ruleset_run(const char *path, const char *cmd, char *err,
		       size_t errlen)
{
	struct nft_ctx *nft;
	int ret;

	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (nft == NULL) {
		snprintf(err, errlen, "cannot create an nftables context");
		return -1;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	if (path != NULL)
		ret = nft_run_cmd_from_filename(nft, path);
	else
		ret = nft_run_cmd_from_buffer(nft, cmd);
	if (ret != 0)
		ruleset_error(nft, path != NULL ? path : cmd, err, errlen);
	nft_ctx_free(nft);
	return ret != 0 ? -1 : 0;
}

int ruleset_install(const char *path, char *err, size_t errlen)
{
	return ruleset_run(path, NULL, err, errlen);
}

int ruleset_remove(char *err, size_t errlen)
{
	return ruleset_run(NULL,
			   "delete table " RSTMON_TABLE_FAMILY " " RSTMON_TABLE,
			   err, errlen);
}
