//! AutoMTLS: our own throw-away server certificate, and a verifier that accepts exactly the
//! client certificate Terraform handed us in `PLUGIN_CLIENT_CERT`.
//!
//! Terraform's client certificate is ECDSA P-521 signed with SHA-512, which *ring* cannot
//! verify; the aws-lc-rs provider can, so the whole TLS stack here is built on it. The client
//! certificate is self-signed with `IsCA=true`, which webpki refuses as an end-entity, so instead
//! of chain building we pin the exact DER and verify the handshake signature against its key:
//! only the holder of that private key can connect.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};

/// The crypto provider used for every TLS connection in this binary.
pub fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// Our certificate and its PKCS#8 key.
pub struct ServerIdentity {
    pub cert_der: CertificateDer<'static>,
    pub key_der: Vec<u8>,
}

/// Generates a certificate shaped like go-plugin's (CN/SAN `localhost`, server and client auth,
/// ~30 years). P-256 rather than P-521: any key Go verifies is fine and P-256 is much faster to
/// generate, which is most of the handshake time.
pub fn generate_server_identity() -> Result<ServerIdentity, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName as Dn, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SerialNumber,
    };
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
        .map_err(|e| format!("generating the TLS key: {e}"))?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()])
        .map_err(|e| format!("building the TLS certificate: {e}"))?;
    let mut dn = Dn::new();
    dn.push(DnType::CommonName, "localhost");
    dn.push(DnType::OrganizationName, "HashiCorp");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::hours(262_980);
    let mut serial = [0u8; 16];
    crypto_provider()
        .secure_random
        .fill(&mut serial)
        .map_err(|e| format!("random serial: {e:?}"))?;
    serial[0] &= 0x7f; // keep it positive
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("self-signing the TLS certificate: {e}"))?;
    Ok(ServerIdentity {
        cert_der: cert.der().clone(),
        key_der: key.serialize_der(),
    })
}

/// Parses the client certificate PEM from `PLUGIN_CLIENT_CERT`.
pub fn parse_client_cert(pem: &str) -> Result<CertificateDer<'static>, String> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| format!("PLUGIN_CLIENT_CERT is not a PEM certificate: {e}"))
}

/// Server TLS config: TLS 1.2/1.3, ALPN `h2` (newer grpc-go refuses a server without it), and a
/// mandatory client certificate equal to `client_cert`.
pub fn server_config(
    identity: &ServerIdentity,
    client_cert: CertificateDer<'static>,
) -> Result<ServerConfig, String> {
    let provider = crypto_provider();
    let verifier = PinnedClientCert {
        expected: client_cert,
        algorithms: provider.signature_verification_algorithms,
    };
    let mut cfg = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| format!("TLS versions: {e}"))?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(
            vec![identity.cert_der.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.clone())),
        )
        .map_err(|e| format!("TLS certificate: {e}"))?;
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(cfg)
}

/// Accepts exactly one certificate, and only with a valid handshake signature from its key.
#[derive(Debug)]
struct PinnedClientCert {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p521_sha512_is_offered_to_clients() {
        let id = generate_server_identity().unwrap();
        let cfg = server_config(&id, id.cert_der.clone()).unwrap();
        assert_eq!(cfg.alpn_protocols, vec![b"h2".to_vec()]);
        let v = PinnedClientCert {
            expected: id.cert_der.clone(),
            algorithms: crypto_provider().signature_verification_algorithms,
        };
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn only_the_pinned_certificate_is_accepted() {
        let a = generate_server_identity().unwrap();
        let b = generate_server_identity().unwrap();
        let v = PinnedClientCert {
            expected: a.cert_der.clone(),
            algorithms: crypto_provider().signature_verification_algorithms,
        };
        assert!(v
            .verify_client_cert(&a.cert_der, &[], UnixTime::now())
            .is_ok());
        assert!(v
            .verify_client_cert(&b.cert_der, &[], UnixTime::now())
            .is_err());
    }

    #[test]
    fn bad_pem_is_reported() {
        assert!(parse_client_cert("not a cert").is_err());
    }
}
