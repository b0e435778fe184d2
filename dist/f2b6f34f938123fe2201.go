// tls-floor's Go client. Built once per Go version (probe/clients/go.ts), standard library only.
// Reads a job (JSON) on stdin, writes one JSON document on stdout: the format every script
// client shares (probe/clients/script_client.ts). It judges no error: a failed request is
// reported as 'tls' with the error's text, which the action classifies by the one list every
// client shares (tls_errors.ts).
//
// default: net/http's default client (http.Get), trusting the run's CA through SSL_CERT_FILE,
// as a program that trusts the system's roots does. strict: a Transport whose tls.Config asks
// for TLS 1.0 (tls.Config.MinVersion) and every suite crypto/tls implements. Only the dialer of
// each is wrapped, to learn this end's port (the server's record of the connection carries it).
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

type target struct {
	ID   string `json:"id"`
	Port int    `json:"port"`
}

type job struct {
	CaFile    string   `json:"caFile"`
	TimeoutMs int      `json:"timeoutMs"`
	Targets   []target `json:"targets"`
}

type handshake struct {
	Server  string  `json:"server"`
	Client  string  `json:"client"`
	Outcome string  `json:"outcome"`
	Version *string `json:"version"`
	Cipher  *string `json:"cipher"`
	Error   *string `json:"error"`
	Ports   []int   `json:"ports"`
}

// ports records the local port of every connection a client's dialer made.
type ports struct {
	mu   sync.Mutex
	seen []int
}

func (p *ports) take() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := p.seen
	p.seen = nil
	if seen == nil {
		return []int{}
	}
	return seen
}

func (p *ports) dial(d *net.Dialer) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err == nil {
			if a, ok := conn.LocalAddr().(*net.TCPAddr); ok {
				p.mu.Lock()
				p.seen = append(p.seen, a.Port)
				p.mu.Unlock()
			}
		}
		return conn, err
	}
}

var versions = map[uint16]string{
	tls.VersionTLS10: "TLSv1", tls.VersionTLS11: "TLSv1.1", tls.VersionTLS12: "TLSv1.2", tls.VersionTLS13: "TLSv1.3",
}

func text(s string) *string { return &s }

func get(client *http.Client, p *ports, port int, timeout time.Duration) handshake {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://localhost:"+itoa(port)+"/", nil)
	resp, err := client.Do(req)
	h := handshake{}
	if err != nil {
		h.Outcome = "tls"
		if ctx.Err() != nil {
			h.Outcome = "timeout"
		}
		h.Error = text(strings.SplitN(err.Error(), "\n", 2)[0])
	} else {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		h.Outcome = "connected"
		if resp.TLS != nil {
			h.Version = text(versions[resp.TLS.Version])
			h.Cipher = text(tls.CipherSuiteName(resp.TLS.CipherSuite))
		}
	}
	client.CloseIdleConnections()
	h.Ports = p.take()
	return h
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func dialer() *net.Dialer { return &net.Dialer{Timeout: 10 * time.Second} }

func strictClient(p *ports) (*http.Client, map[string]string) {
	var suites []uint16
	var names []string
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		suites = append(suites, s.ID)
		names = append(names, s.Name)
	}
	transport := &http.Transport{
		DialContext:     p.dial(dialer()),
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS10, CipherSuites: suites},
	}
	return &http.Client{Transport: transport}, map[string]string{
		"minimumVersion": "TLSv1 (tls.Config.MinVersion = tls.VersionTLS10)",
		"ciphers":        strings.Join(names, ":"),
	}
}

func main() {
	var j job
	if err := json.NewDecoder(io.LimitReader(os.Stdin, 1<<20)).Decode(&j); err != nil {
		json.NewEncoder(os.Stdout).Encode(map[string]string{"fatal": "no-job", "detail": err.Error()})
		return
	}
	// The run's CA, as the system's roots: read once, at the first verification.
	os.Setenv("SSL_CERT_FILE", j.CaFile)
	os.Setenv("SSL_CERT_DIR", "/nonexistent")
	timeout := time.Duration(j.TimeoutMs) * time.Millisecond
	defaultPorts := &ports{}
	http.DefaultTransport.(*http.Transport).DialContext = defaultPorts.dial(dialer())
	http.DefaultTransport.(*http.Transport).Proxy = nil
	strictPorts := &ports{}
	strict, strictSettings := strictClient(strictPorts)
	clients := map[string]map[string]string{
		"default": {"client": "http.DefaultClient (net/http)", "minimumVersion": "crypto/tls default", "ciphers": "crypto/tls default"},
		"strict":  strictSettings,
	}
	handshakes := []handshake{}
	for _, mode := range []string{"default", "strict"} {
		for _, t := range j.Targets {
			var h handshake
			if mode == "default" {
				h = get(http.DefaultClient, defaultPorts, t.Port, timeout)
			} else {
				h = get(strict, strictPorts, t.Port, timeout)
			}
			h.Server, h.Client = t.ID, mode
			handshakes = append(handshakes, h)
		}
	}
	godebug, set := os.LookupEnv("GODEBUG")
	if !set {
		godebug = "not set"
	}
	json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"runtime": map[string]interface{}{
			"go":         runtime.Version(),
			"GODEBUG":    godebug,
			"executable": os.Args[0],
		},
		"clients":    clients,
		"handshakes": handshakes,
	})
}
