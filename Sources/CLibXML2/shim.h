#ifndef HUB_CLIBXML2_SHIM_H
#define HUB_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* The system libxml2 is built with ICU; its encoding.h would then include the system ICU headers, which
   clash with the ICU that Foundation ships. Nothing here touches the ICU-dependent encoding structures
   (encodings are named by string and handled inside libxml2), so hide them from Swift. */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/// `xmlFree` is a global function-pointer variable, which Swift 6 strict concurrency refuses to touch:
/// call it through a function.
static inline void hub_xml_free(void *pointer) { xmlFree(pointer); }

/// The parser context's last error (a field Swift cannot reach through the opaque context).
static inline const xmlError *hub_xml_ctxt_last_error(xmlParserCtxtPtr ctxt) { return &ctxt->lastError; }

/// libxml2 reports some problems (encoding conversion) through its generic error function, which prints to
/// standard error. The hub reports them itself, in the answer: silence the printing on the calling thread.
static void hub_xml_silent(void *context, const char *message, ...) { (void)context; (void)message; }
static inline void hub_xml_silence(void) { xmlSetGenericErrorFunc(NULL, hub_xml_silent); }

#endif
