/*
 * pdf.h - HTML to PDF through headless Chromium, run as a child process
 * with a time limit (`docket print --format pdf`).
 *
 * Chromium lays out CJK text, honours CSS paged media (@page size and
 * margins, break-before) and is kept up to date by Debian's security
 * team; docket only hands it a file and reads the PDF back.  When it or
 * a CJK font is missing the error names the Debian packages to install,
 * and HTML output keeps working without them.
 */
#ifndef DOCKET_PDF_H
#define DOCKET_PDF_H

#include "util.h"

#define PDF_PACKAGES "chromium fonts-noto-cjk"
#define PDF_TIMEOUT 60		/* seconds, unless $DOCKET_PDF_TIMEOUT */
#define PDF_MAX_SIZE (64u << 20)

/**
 * The Chromium program: $DOCKET_CHROMIUM, else the first of chromium,
 * chromium-browser, google-chrome on $PATH.  *out is malloc'd.
 * ERR_NOTFOUND (message naming the packages) when there is none.
 */
int pdf_engine(char **out, struct diag *d);

/** 0 if a CJK font is installed, else ERR_NOTFOUND naming the package. */
int pdf_cjk_font(struct diag *d);

/**
 * Render html (len bytes) to PDF into out: the page is written to a
 * private temporary folder, Chromium prints it (killed after the time
 * limit), the folder is removed.  ERR_NOTFOUND when the engine or font
 * is missing, ERR_IO when Chromium fails or runs too long (its last
 * words in the message).
 */
int pdf_render(struct sb *out, const char *html, size_t len,
	struct diag *d);

#endif
