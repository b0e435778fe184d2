# tls-floor's Ruby client, run by the ruby under test (ruby -e), standard library only. Reads a
# job (JSON) on stdin, writes one JSON document on stdout: the format every script client shares
# (probe/clients/script_client.ts). It judges no error: a failed request is reported as 'tls'
# with the exception's text, which the action classifies (tls_errors.ts).
#
# The run's CA is trusted as the system's roots are: SSL_CERT_FILE, set before the openssl
# library is loaded. default: Net::HTTP with its defaults. strict: Net::HTTP asked for TLS 1.0
# (min_version) and every cipher at security level 0. Only the TCP connect (Socket.tcp, as
# Net::HTTP calls it; TCPSocket.open, as older ones do) is wrapped, to learn this end's port (the
# server's record of the connection carries it).
require 'json'

job = JSON.parse($stdin.read(1 << 20))
ENV['SSL_CERT_FILE'] = job['caFile']
ENV['SSL_CERT_DIR'] = '/nonexistent'
require 'net/http'
require 'openssl'

PORTS = []
module RecordPort
  def self.record(socket)
    PORTS << socket.local_address.ip_port
    socket
  end

  module Tcp
    def tcp(*args, **kw, &block)
      raise ArgumentError, 'no block expected' if block

      RecordPort.record(super(*args, **kw))
    end
  end

  module Open
    def open(*args, **kw)
      RecordPort.record(kw.empty? ? super(*args) : super(*args, **kw))
    end
  end
end
Socket.singleton_class.prepend(RecordPort::Tcp)
TCPSocket.singleton_class.prepend(RecordPort::Open)

def request(port, timeout, strict, ciphers)
  PORTS.clear
  attempt(port, timeout, strict, ciphers).merge(ports: PORTS.dup)
end

def attempt(port, timeout, strict, ciphers)
  http = Net::HTTP.new('localhost', port)
  http.use_ssl = true
  http.open_timeout = http.read_timeout = http.ssl_timeout = timeout
  if strict
    http.min_version = :TLS1
    http.ciphers = ciphers
  end
  result = { outcome: 'tls', error: nil }
  http.start do |h|
    session = h.instance_variable_get(:@socket).io
    result = { outcome: 'connected', version: session.ssl_version, cipher: session.cipher&.first }
    h.request(Net::HTTP::Get.new('/')) { |response| response.read_body { |_| nil } }
  end
  result
rescue Net::OpenTimeout, Net::ReadTimeout => e
  result[:outcome] == 'connected' ? result : { outcome: 'timeout', error: "#{e.class}: #{e.message}"[0, 400] }
rescue StandardError => e
  result[:outcome] == 'connected' ? result : { outcome: 'tls', error: "#{e.class}: #{e.message}"[0, 400] }
end

timeout = job['timeoutMs'] / 1000.0
clients = {
  'default' => { 'client' => 'Net::HTTP (use_ssl, defaults)', 'minimumVersion' => 'openssl gem default', 'ciphers' => 'openssl gem default' },
  'strict' => { 'client' => 'Net::HTTP (min_version, ciphers)', 'minimumVersion' => 'TLS1', 'ciphers' => job['strictCiphers'] },
}
handshakes = []
%w[default strict].each do |mode|
  job['targets'].each do |t|
    r = request(t['port'], timeout, mode == 'strict', job['strictCiphers'])
    handshakes << { server: t['id'], client: mode }.merge(r)
  end
end
runtime = {
  ruby: RUBY_VERSION,
  description: RUBY_DESCRIPTION,
  opensslGem: OpenSSL::VERSION,
  openssl: OpenSSL::OPENSSL_LIBRARY_VERSION,
  opensslBuiltWith: OpenSSL::OPENSSL_VERSION,
  opensslConf: ENV['OPENSSL_CONF'] || OpenSSL::Config::DEFAULT_CONFIG_FILE,
  OPENSSL_CONF: ENV['OPENSSL_CONF'] || 'not set',
  defaultParams: OpenSSL::SSL::SSLContext::DEFAULT_PARAMS.transform_values(&:to_s),
  RUBYOPT: ENV['RUBYOPT'] || 'not set',
}
$stdout.write(JSON.generate(runtime: runtime, clients: clients, handshakes: handshakes))
