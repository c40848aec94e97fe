//! Hosting a gRPC service the way go-plugin's server does.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, Notify};
use tokio_stream::wrappers::ReceiverStream;
use tonic::service::Routes;
use tonic::transport::server::Connected;

use super::handshake::{self, ListenAddr, ListenPlan};
use super::tls;
use crate::proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use crate::proto::plugin::Empty;

/// Largest gRPC message accepted or sent, as terraform-plugin-go allows (large states).
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// Serve plaintext and print a `TF_REATTACH_PROVIDERS` line instead of the handshake.
    pub debug: bool,
    /// Provider source address used in the reattach line, e.g. `registry.terraform.io/ecr-rs/ecr`.
    pub provider_address: String,
}

/// Serves `routes` (the provider service) plus go-plugin's controller and the health service
/// until the client calls `GRPCController/Shutdown`.
pub async fn serve(routes: Routes, opts: ServeOptions) -> Result<(), String> {
    let plan = handshake::plan(&handshake::HandshakeEnv::from_process(), opts.debug)?;
    let version = plan.app_version;
    let tls_config = match plan.client_cert {
        Some(client_cert) => {
            let identity = tls::generate_server_identity()?;
            let cfg = tls::server_config(&identity, client_cert)?;
            Some((Arc::new(cfg), identity.cert_der))
        }
        None => None,
    };

    let (listener, addr) = bind_listener(&plan.listen).await?;
    let (tx, rx) = mpsc::channel::<io::Result<Conn>>(16);
    let acceptor = tls_config
        .as_ref()
        .map(|(cfg, _)| tokio_rustls::TlsAcceptor::from(cfg.clone()));
    tokio::spawn(accept_loop(listener, acceptor, tx));

    let shutdown = Arc::new(Notify::new());
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    let routes = routes
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(health_service);

    if opts.debug {
        print_reattach(&opts.provider_address, &addr);
    } else {
        // Ctrl-C reaches the whole process group; Terraform cancels through StopProvider.
        // The handler is registered before the handshake line goes out: a SIGINT right after
        // it must not find the default handler (which exits).
        #[cfg(unix)]
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) {
            Ok(mut sigint) => {
                tokio::spawn(async move {
                    while sigint.recv().await.is_some() {
                        tracing::debug!(
                            "ignoring SIGINT; Terraform stops providers via StopProvider"
                        );
                    }
                });
            }
            Err(e) => tracing::warn!("cannot install the SIGINT handler: {e}"),
        }
        #[cfg(not(unix))]
        tokio::spawn(async {
            while tokio::signal::ctrl_c().await.is_ok() {
                tracing::debug!("ignoring Ctrl-C; Terraform stops providers via StopProvider");
            }
        });
        let cert = tls_config.as_ref().map(|(_, der)| der.as_ref());
        println!("{}", handshake::handshake_line(version, &addr, cert));
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
    }

    let stop = shutdown.clone();
    let server = tonic::transport::Server::builder()
        .add_routes(routes)
        .serve_with_incoming_shutdown(ReceiverStream::new(rx), async move {
            if opts.debug {
                tokio::select! {
                    _ = stop.notified() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            } else {
                stop.notified().await
            }
        });
    tokio::pin!(server);
    tokio::select! {
        res = &mut server => res.map_err(|e| format!("gRPC server: {e}"))?,
        // The client waits two seconds after Shutdown before killing us: don't let a lingering
        // connection hold the graceful shutdown past that.
        _ = async { shutdown.notified().await; tokio::time::sleep(Duration::from_millis(800)).await } => {}
    }
    if let ListenAddr::Unix(path) = &addr {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

fn print_reattach(provider_address: &str, addr: &ListenAddr) {
    let value = serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": 6,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": { "Network": addr.network(), "String": addr.address() }
        }
    });
    println!("Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n");
    println!("\tTF_REATTACH_PROVIDERS='{value}'\n");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
}

enum Listener {
    Tcp(TcpListener),
    #[cfg(unix)]
    Unix(tokio::net::UnixListener),
}

/// Binds what [`handshake::plan`] decided.
async fn bind_listener(plan: &ListenPlan) -> Result<(Listener, ListenAddr), String> {
    let ports: Vec<u16> = match plan {
        #[cfg(unix)]
        ListenPlan::Unix(dir) => {
            let dir = dir.clone().unwrap_or_else(std::env::temp_dir);
            let path = dir.join(format!("plugin{}", std::process::id()));
            let _ = std::fs::remove_file(&path);
            let l = tokio::net::UnixListener::bind(&path)
                .map_err(|e| format!("listening on {}: {e}", path.display()))?;
            return Ok((Listener::Unix(l), ListenAddr::Unix(path)));
        }
        #[cfg(not(unix))]
        ListenPlan::Unix(_) => vec![0],
        ListenPlan::TcpRange(a, b) => (*a..=*b).collect(),
        ListenPlan::TcpAny => vec![0],
    };
    let mut last_err = None;
    for port in ports {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(l) => {
                let addr = l.local_addr().map_err(|e| e.to_string())?;
                return Ok((Listener::Tcp(l), ListenAddr::Tcp(addr)));
            }
            Err(e) => last_err = Some(e),
        }
    }
    Err(format!(
        "no free port on 127.0.0.1 in the plugin range: {last_err:?}"
    ))
}

async fn accept_loop(
    listener: Listener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    tx: mpsc::Sender<io::Result<Conn>>,
) {
    loop {
        let stream: Box<dyn Io> = match &listener {
            Listener::Tcp(l) => match l.accept().await {
                Ok((s, _)) => {
                    let _ = s.set_nodelay(true);
                    Box::new(s)
                }
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    continue;
                }
            },
            #[cfg(unix)]
            Listener::Unix(l) => match l.accept().await {
                Ok((s, _)) => Box::new(s),
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    continue;
                }
            },
        };
        let tx = tx.clone();
        match acceptor.clone() {
            None => {
                if tx.send(Ok(Conn(stream))).await.is_err() {
                    return;
                }
            }
            // Handshakes run concurrently so one slow or hostile peer can't block others.
            Some(acceptor) => {
                tokio::spawn(async move {
                    match acceptor.accept(stream).await {
                        Ok(tls) => {
                            let _ = tx.send(Ok(Conn(Box::new(tls)))).await;
                        }
                        Err(e) => tracing::warn!("TLS handshake refused: {e}"),
                    }
                });
            }
        }
    }
}

/// Any byte stream the server can speak HTTP/2 over.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// A connection (TCP, unix or TLS over either), erased so one server type serves them all.
pub struct Conn(Box<dyn Io>);

impl Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}

/// `plugin.GRPCController`: the client's way to tell us to exit.
struct Controller {
    shutdown: Arc<Notify>,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(
        &self,
        _request: tonic::Request<Empty>,
    ) -> Result<tonic::Response<Empty>, tonic::Status> {
        tracing::debug!("shutdown requested by the plugin client");
        self.shutdown.notify_waiters();
        self.shutdown.notify_one();
        Ok(tonic::Response::new(Empty {}))
    }
}
