#ifndef SHIPSHAPE_CLIBGIT2_SHIM_H
#define SHIPSHAPE_CLIBGIT2_SHIM_H
#include <git2.h>

/*
 * TLS certificate checks against a CA file chosen per remote.
 *
 * libgit2's trust store (GIT_OPT_SET_SSL_CERT_LOCATIONS) is process-global, so a remote's own CA
 * file is checked here instead, from libgit2's certificate_check callback, with the same mbedTLS
 * that libgit2 links. libgit2 hands the callback the server's leaf certificate only, so the CA
 * file must hold the CA that signed it (a root or an intermediate).
 */
#include <mbedtls/x509_crt.h>
#include <mbedtls/asn1.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Verifies `der` (the leaf) against the certificates in `ca_file`: signature chain and validity
 * period (no host name check; see shipshape_x509_matches_host). Returns 0 when trusted, else a
 * negative value with a description of the problem in `message`. */
static inline int shipshape_x509_verify(const unsigned char *der, size_t der_len, const char *ca_file,
                                        char *message, size_t message_len)
{
    mbedtls_x509_crt leaf, ca;
    uint32_t flags = 0;
    int rc;
    mbedtls_x509_crt_init(&leaf);
    mbedtls_x509_crt_init(&ca);
    message[0] = '\0';
    if ((rc = mbedtls_x509_crt_parse_der(&leaf, der, der_len)) != 0) {
        snprintf(message, message_len, "the server's certificate could not be parsed (mbedTLS -0x%04x)", (unsigned)-rc);
        rc = -1;
    } else if ((rc = mbedtls_x509_crt_parse_file(&ca, ca_file)) != 0) {
        snprintf(message, message_len, "the CA file %s could not be read as PEM certificates (mbedTLS -0x%04x)", ca_file, (unsigned)(rc < 0 ? -rc : rc));
        rc = -2;
    } else if ((rc = mbedtls_x509_crt_verify(&leaf, &ca, NULL, NULL, &flags, NULL, NULL)) != 0) {
        char info[512];
        mbedtls_x509_crt_verify_info(info, sizeof(info), "", flags);
        for (char *c = info; *c; c++) if (*c == '\n') *c = ';';
        snprintf(message, message_len, "%s", info);
        rc = -3;
    }
    mbedtls_x509_crt_free(&leaf);
    mbedtls_x509_crt_free(&ca);
    return rc;
}

/* 1 when the certificate's subjectAltName covers `host` (an IP address or DNS name; a left-most
 * `*.` wildcard matches one label), 0 when not, negative on a parse error. */
static inline int shipshape_x509_matches_host(const unsigned char *der, size_t der_len, const char *host)
{
    mbedtls_x509_crt crt;
    unsigned char ip[16];
    size_t ip_len = 0;
    int found = 0;
    mbedtls_x509_crt_init(&crt);
    if (mbedtls_x509_crt_parse_der(&crt, der, der_len) != 0) { mbedtls_x509_crt_free(&crt); return -1; }
    if (inet_pton(AF_INET, host, ip) == 1) ip_len = 4;
    else if (inet_pton(AF_INET6, host, ip) == 1) ip_len = 16;

    unsigned char *p = crt.v3_ext.p;
    const unsigned char *end = crt.v3_ext.p + crt.v3_ext.len;
    size_t len;
    if (p == NULL || mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) goto done;
    end = p + len;
    while (p < end && !found) {
        size_t ext_len, oid_len, value_len;
        if (mbedtls_asn1_get_tag(&p, end, &ext_len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) goto done;
        const unsigned char *ext_end = p + ext_len;
        if (mbedtls_asn1_get_tag(&p, ext_end, &oid_len, MBEDTLS_ASN1_OID) != 0) goto done;
        int is_san = oid_len == 3 && p[0] == 0x55 && p[1] == 0x1d && p[2] == 0x11;
        p += oid_len;
        if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN) {
            int critical;
            if (mbedtls_asn1_get_bool(&p, ext_end, &critical) != 0) goto done;
        }
        if (mbedtls_asn1_get_tag(&p, ext_end, &value_len, MBEDTLS_ASN1_OCTET_STRING) != 0) goto done;
        if (is_san) {
            unsigned char *q = p;
            const unsigned char *value_end = p + value_len;
            size_t names_len;
            if (mbedtls_asn1_get_tag(&q, value_end, &names_len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) goto done;
            while (q < value_end && !found) {
                unsigned char tag = *q++;
                size_t name_len;
                if (mbedtls_asn1_get_len(&q, value_end, &name_len) != 0) goto done;
                if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && ip_len != 0) {
                    found = name_len == ip_len && memcmp(q, ip, ip_len) == 0;
                } else if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) && ip_len == 0) {
                    size_t host_len = strlen(host);
                    if (name_len == host_len && strncasecmp((const char *)q, host, host_len) == 0) {
                        found = 1;
                    } else if (name_len > 2 && q[0] == '*' && q[1] == '.') {
                        const char *dot = strchr(host, '.');
                        if (dot != NULL && dot != host && strlen(dot + 1) == name_len - 2 &&
                            strncasecmp((const char *)q + 2, dot + 1, name_len - 2) == 0) found = 1;
                    }
                }
                q += name_len;
            }
        }
        p = (unsigned char *)ext_end;
    }
done:
    mbedtls_x509_crt_free(&crt);
    return found;
}
#endif
