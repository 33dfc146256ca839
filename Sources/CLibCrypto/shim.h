#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
/* OpenSSL 3 marks the SHA256_CTX functions deprecated in favour of EVP_MD_CTX, which lives on
   the heap. VisitorKey needs the context as a plain value: it keeps SHA-256 states that have
   absorbed the HMAC key's pads and copies them on the stack for each visitor id. A new key comes
   from RAND_bytes; the tests check the hash against libcrypto's own HMAC. SealedErasure seals
   with AES-256-GCM through EVP. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#endif
