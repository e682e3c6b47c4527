#include "pkcs11/wire.h"

#include <swtee/pkcs11_ta.h>

#include <cstring>

namespace swtee::pkcs11 {
namespace {

constexpr CK_ULONG kMax32 = 0xffffffffUL;

// CK_EDDSA_PARAMS (PKCS#11 3.0), absent from older pkcs11.h headers.
struct EddsaParams {
  CK_BBOOL phFlag;
  CK_ULONG ulContextDataLen;
  CK_BYTE_PTR pContextData;
};

uint32_t rd32(const uint8_t* p) {
  uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return v;
}

// Wire size of one attribute's value.
CK_RV value_room(const CK_ATTRIBUTE& a, bool for_get, uint32_t* room) {
  if (a.pValue == nullptr) {
    *room = 0;
    return CKR_OK;
  }
  if (is_ulong_attr(a.type)) {
    if (a.ulValueLen < sizeof(CK_ULONG)) {
      if (for_get) {
        *room = 0;
        return CKR_OK;
      }
      return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    *room = 4;
    return CKR_OK;
  }
  if (a.type == CKA_ALLOWED_MECHANISMS) {
    *room = static_cast<uint32_t>(a.ulValueLen / sizeof(CK_ULONG) * 4);
    return CKR_OK;
  }
  if (a.ulValueLen > kMax32) return CKR_ATTRIBUTE_VALUE_INVALID;
  *room = static_cast<uint32_t>(a.ulValueLen);
  return CKR_OK;
}

}  // namespace

void Wire::u32(uint32_t v) { bytes(&v, sizeof(v)); }

void Wire::bytes(const void* p, size_t n) {
  if (n == 0) return;
  const auto* b = static_cast<const uint8_t*>(p);
  buf_.insert(buf_.end(), b, b + n);
}

bool Wire::ulong(CK_ULONG v) {
  if (v > kMax32) return false;
  u32(static_cast<uint32_t>(v));
  return true;
}

bool is_ulong_attr(CK_ATTRIBUTE_TYPE t) {
  switch (t) {
    case CKA_CLASS:
    case CKA_CERTIFICATE_TYPE:
    case CKA_CERTIFICATE_CATEGORY:
    case CKA_KEY_TYPE:
    case CKA_HW_FEATURE_TYPE:
    case CKA_MECHANISM_TYPE:
    case CKA_KEY_GEN_MECHANISM:
    case CKA_VALUE_LEN:
    case CKA_MODULUS_BITS:
      return true;
    default:
      return false;
  }
}

CK_RV put_template(Wire& w, const CK_ATTRIBUTE* t, CK_ULONG n, bool for_get) {
  if (n > 0 && t == nullptr) return CKR_ARGUMENTS_BAD;
  if (n > 256) return CKR_TEMPLATE_INCONSISTENT;
  Wire body;
  for (CK_ULONG i = 0; i < n; ++i) {
    const CK_ATTRIBUTE& a = t[i];
    // Nested templates are not supported by this token.
    if (a.type > kMax32 || a.type == CKA_WRAP_TEMPLATE || a.type == CKA_UNWRAP_TEMPLATE ||
        a.type == CKA_DERIVE_TEMPLATE)
      return CKR_ATTRIBUTE_TYPE_INVALID;
    uint32_t room = 0;
    if (CK_RV rv = value_room(a, for_get, &room); rv != CKR_OK) return rv;
    body.u32(static_cast<uint32_t>(a.type));
    body.u32(room);
    if (room == 0) continue;
    if (for_get) {
      body.buf().resize(body.buf().size() + room, 0);
    } else if (is_ulong_attr(a.type)) {
      CK_ULONG v = 0;
      std::memcpy(&v, a.pValue, sizeof(v));
      if (!body.ulong(v)) return CKR_ATTRIBUTE_VALUE_INVALID;
    } else if (a.type == CKA_ALLOWED_MECHANISMS) {
      const auto* m = static_cast<const CK_MECHANISM_TYPE*>(a.pValue);
      for (CK_ULONG k = 0; k < room / 4; ++k)
        if (!body.ulong(m[k])) return CKR_MECHANISM_INVALID;
    } else {
      body.bytes(a.pValue, room);
    }
  }
  if (body.buf().size() > kMax32) return CKR_TEMPLATE_INCONSISTENT;
  w.u32(static_cast<uint32_t>(body.buf().size()));
  w.u32(static_cast<uint32_t>(n));
  w.bytes(body.buf().data(), body.buf().size());
  return CKR_OK;
}

CK_RV put_mechanism(Wire& w, const CK_MECHANISM* m) {
  if (m == nullptr) return CKR_ARGUMENTS_BAD;
  if (m->mechanism > kMax32 - 1) return CKR_MECHANISM_INVALID;
  Wire p;
  const void* pp = m->pParameter;
  const CK_ULONG pl = m->ulParameterLen;
  auto need = [&](size_t size) { return pp != nullptr && pl == size; };
  switch (m->mechanism) {
    case CKM_AES_CBC:
    case CKM_AES_CBC_PAD:
      if (!need(16)) return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(pp, 16);
      break;
    case CKM_AES_CTR: {
      if (!need(sizeof(CK_AES_CTR_PARAMS))) return CKR_MECHANISM_PARAM_INVALID;
      const auto* c = static_cast<const CK_AES_CTR_PARAMS*>(pp);
      if (!p.ulong(c->ulCounterBits)) return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(c->cb, sizeof(c->cb));
      break;
    }
    case CKM_AES_GCM: {
      if (!need(sizeof(CK_GCM_PARAMS))) return CKR_MECHANISM_PARAM_INVALID;
      const auto* g = static_cast<const CK_GCM_PARAMS*>(pp);
      if ((g->ulIvLen && !g->pIv) || (g->ulAADLen && !g->pAAD) || !p.ulong(g->ulIvLen))
        return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(g->pIv, g->ulIvLen);
      if (!p.ulong(g->ulAADLen)) return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(g->pAAD, g->ulAADLen);
      if (!p.ulong(g->ulTagBits)) return CKR_MECHANISM_PARAM_INVALID;
      break;
    }
    case CKM_RSA_PKCS_PSS:
    case CKM_SHA1_RSA_PKCS_PSS:
    case CKM_SHA224_RSA_PKCS_PSS:
    case CKM_SHA256_RSA_PKCS_PSS:
    case CKM_SHA384_RSA_PKCS_PSS:
    case CKM_SHA512_RSA_PKCS_PSS: {
      if (!need(sizeof(CK_RSA_PKCS_PSS_PARAMS))) return CKR_MECHANISM_PARAM_INVALID;
      const auto* s = static_cast<const CK_RSA_PKCS_PSS_PARAMS*>(pp);
      if (!p.ulong(s->hashAlg) || !p.ulong(s->mgf) || !p.ulong(s->sLen)) return CKR_MECHANISM_PARAM_INVALID;
      break;
    }
    case CKM_RSA_PKCS_OAEP: {
      if (!need(sizeof(CK_RSA_PKCS_OAEP_PARAMS))) return CKR_MECHANISM_PARAM_INVALID;
      const auto* o = static_cast<const CK_RSA_PKCS_OAEP_PARAMS*>(pp);
      if ((o->ulSourceDataLen && !o->pSourceData) || !p.ulong(o->hashAlg) || !p.ulong(o->mgf) ||
          !p.ulong(o->source) || !p.ulong(o->ulSourceDataLen))
        return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(o->pSourceData, o->ulSourceDataLen);
      break;
    }
    case CKM_ECDH1_DERIVE: {
      if (!need(sizeof(CK_ECDH1_DERIVE_PARAMS))) return CKR_MECHANISM_PARAM_INVALID;
      const auto* e = static_cast<const CK_ECDH1_DERIVE_PARAMS*>(pp);
      if ((e->ulSharedDataLen && !e->pSharedData) || (e->ulPublicDataLen && !e->pPublicData) ||
          !p.ulong(e->kdf) || !p.ulong(e->ulSharedDataLen))
        return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(e->pSharedData, e->ulSharedDataLen);
      if (!p.ulong(e->ulPublicDataLen)) return CKR_MECHANISM_PARAM_INVALID;
      p.bytes(e->pPublicData, e->ulPublicDataLen);
      break;
    }
    case CKM_EDDSA:
      if (pp == nullptr || pl == 0) break;
      {
        if (pl != sizeof(EddsaParams)) return CKR_MECHANISM_PARAM_INVALID;
        const auto* e = static_cast<const EddsaParams*>(pp);
        if ((e->ulContextDataLen && !e->pContextData)) return CKR_MECHANISM_PARAM_INVALID;
        p.u32(e->phFlag ? 1 : 0);
        if (!p.ulong(e->ulContextDataLen)) return CKR_MECHANISM_PARAM_INVALID;
        p.bytes(e->pContextData, e->ulContextDataLen);
      }
      break;
    default:
      // Every other mechanism of the token takes no parameter.
      if (pl != 0) return CKR_MECHANISM_PARAM_INVALID;
      break;
  }
  w.u32(static_cast<uint32_t>(m->mechanism));
  w.u32(static_cast<uint32_t>(p.buf().size()));
  w.bytes(p.buf().data(), p.buf().size());
  return CKR_OK;
}

CK_RV take_attribute_values(std::span<const uint8_t> answer, CK_ATTRIBUTE* t, CK_ULONG n) {
  CK_RV worst = CKR_OK;
  size_t pos = sizeof(pkcs11_object_head);
  for (CK_ULONG i = 0; i < n; ++i) {
    CK_ATTRIBUTE& a = t[i];
    uint32_t room = 0;
    if (value_room(a, true, &room) != CKR_OK || answer.size() < pos + 8 || answer.size() - pos - 8 < room)
      return CKR_DEVICE_ERROR;
    const uint32_t size = rd32(answer.data() + pos + 4);
    const uint8_t* data = answer.data() + pos + 8;
    pos += 8 + room;
    if (size == PKCS11_CK_UNAVAILABLE_INFORMATION) {
      a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
      continue;
    }
    CK_ULONG need = size;
    if (is_ulong_attr(a.type))
      need = sizeof(CK_ULONG);
    else if (a.type == CKA_ALLOWED_MECHANISMS)
      need = size / 4 * sizeof(CK_ULONG);
    if (a.pValue == nullptr) {
      a.ulValueLen = need;
      continue;
    }
    if (a.ulValueLen < need || room < size) {
      a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
      worst = CKR_BUFFER_TOO_SMALL;
      continue;
    }
    if (is_ulong_attr(a.type)) {
      uint32_t v = rd32(data);
      CK_ULONG u = v;
      if (a.type == CKA_KEY_GEN_MECHANISM && v == PKCS11_CK_UNAVAILABLE_INFORMATION)
        u = CK_UNAVAILABLE_INFORMATION;
      std::memcpy(a.pValue, &u, sizeof(u));
    } else if (a.type == CKA_ALLOWED_MECHANISMS) {
      auto* m = static_cast<CK_MECHANISM_TYPE*>(a.pValue);
      for (uint32_t k = 0; k < size / 4; ++k) m[k] = rd32(data + 4 * k);
    } else if (size) {
      std::memcpy(a.pValue, data, size);
    }
    a.ulValueLen = need;
  }
  return worst;
}

}  // namespace swtee::pkcs11
