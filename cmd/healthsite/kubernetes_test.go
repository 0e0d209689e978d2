package main

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestKubernetesExample reads the Deployment and Service in the README
// and checks them against the server, so the example a reader copies
// keeps working: the probes ask the right pages on the port the
// container listens on, every variable it sets is one the server reads,
// and the grace period outlasts the drain and the shutdown together.
func TestKubernetesExample(t *testing.T) {
	blocks := codeBlocks(readmeSection(t, "## Running on Kubernetes"), "yaml")
	if len(blocks) == 0 {
		t.Fatal("the section has no yaml block")
	}
	block := blocks[0]

	var deployment k8sDeployment
	var service k8sService
	dec := yaml.NewDecoder(strings.NewReader(block))
	for i := 0; ; i++ {
		var doc struct {
			Kind string `yaml:"kind"`
		}
		var raw yaml.Node
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("document %d: %v", i+1, err)
		}
		if err := raw.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		var err error
		switch doc.Kind {
		case "Deployment":
			err = raw.Decode(&deployment)
		case "Service":
			err = raw.Decode(&service)
		default:
			t.Fatalf("document %d is a %q", i+1, doc.Kind)
		}
		if err != nil {
			t.Fatalf("the %s: %v", doc.Kind, err)
		}
	}
	spec := deployment.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(spec.Containers))
	}
	c := spec.Containers[0]

	// The variables it sets are the server's (each flag's help names its
	// variable), and the server starts with them.
	var usage bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &usage); err == nil {
		t.Fatal("-h did not ask for help")
	}
	known := map[string]bool{}
	for _, m := range regexp.MustCompile(`env (HEALTHSITE_[A-Z_]+)`).FindAllStringSubmatch(usage.String(), -1) {
		known[m[1]] = true
	}
	for _, e := range c.Env {
		if !known[e.Name] {
			t.Errorf("the Deployment sets %s, which the server does not read", e.Name)
		}
		if e.Value != "" {
			t.Setenv(e.Name, e.Value)
		}
	}
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatalf("the server refuses the Deployment's environment: %v", err)
	}

	port := map[string]int{}
	for _, p := range c.Ports {
		port[p.Name] = p.ContainerPort
	}
	if port["http"] != 8080 || !strings.HasSuffix(o.addr, ":8080") {
		t.Errorf("the container's http port is %d and the server listens on %q", port["http"], o.addr)
	}
	for _, probe := range []struct {
		name, path string
		got        k8sProbe
	}{{"livenessProbe", "/healthz", c.LivenessProbe}, {"readinessProbe", "/readyz", c.ReadinessProbe}} {
		if probe.got.HTTPGet.Path != probe.path || port[probe.got.HTTPGet.Port] == 0 {
			t.Errorf("%s asks %s on port %q, want %s on a port of the container", probe.name, probe.got.HTTPGet.Path, probe.got.HTTPGet.Port, probe.path)
		}
	}
	// The load balancer must learn of the drain before it ends.
	r := c.ReadinessProbe
	if noticed := time.Duration(r.PeriodSeconds*r.FailureThreshold) * time.Second; noticed >= o.drain {
		t.Errorf("the readiness probe notices a drain after up to %v, not within the drain of %v", noticed, o.drain)
	}
	if grace := time.Duration(spec.TerminationGracePeriodSeconds) * time.Second; grace <= o.drain+o.shutdownTimeout {
		t.Errorf("terminationGracePeriodSeconds %v does not cover the drain (%v) and the shutdown (%v)", grace, o.drain, o.shutdownTimeout)
	}
	if service.Spec.Selector["app"] != deployment.Spec.Template.Metadata.Labels["app"] || len(service.Spec.Ports) != 1 || port[service.Spec.Ports[0].TargetPort] == 0 {
		t.Errorf("the Service does not reach the Deployment's pods: %+v", service.Spec)
	}
	if service.Spec.Ports[0].TargetPort != "http" {
		t.Errorf("the Service exposes port %q: only the public one, http, may be exposed", service.Spec.Ports[0].TargetPort)
	}
}

// The parts of the Kubernetes objects the test reads; what it only
// passes over (resources, securityContext, strategy) is a yaml.Node.
type k8sDeployment struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   yaml.Node `yaml:"metadata"`
	Spec       struct {
		Replicas int       `yaml:"replicas"`
		Selector yaml.Node `yaml:"selector"`
		Strategy yaml.Node `yaml:"strategy"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
				Containers                    []struct {
					Name  string `yaml:"name"`
					Image string `yaml:"image"`
					Ports []struct {
						Name          string `yaml:"name"`
						ContainerPort int    `yaml:"containerPort"`
					} `yaml:"ports"`
					Env []struct {
						Name      string    `yaml:"name"`
						Value     string    `yaml:"value"`
						ValueFrom yaml.Node `yaml:"valueFrom"`
					} `yaml:"env"`
					LivenessProbe   k8sProbe  `yaml:"livenessProbe"`
					ReadinessProbe  k8sProbe  `yaml:"readinessProbe"`
					Resources       yaml.Node `yaml:"resources"`
					SecurityContext yaml.Node `yaml:"securityContext"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type k8sProbe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
	PeriodSeconds    int `yaml:"periodSeconds"`
	FailureThreshold int `yaml:"failureThreshold"`
}

type k8sService struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   yaml.Node `yaml:"metadata"`
	Spec       struct {
		Selector map[string]string `yaml:"selector"`
		Ports    []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}
