// The build failed (invoker checks that); it must be the validate goal, naming the bad file and rule.
def log = new File(basedir, 'build.log').text
def findings = log.readLines().findAll { it.startsWith('[ERROR] src/main/resources/models/') }
assert findings.size() == 1 : "one error finding expected, got:\n" + findings.join('\n')
assert findings[0].contains('src/main/resources/models/broken.onnx')
assert findings[0].endsWith('[format.invalid]')
// The valid model beside it is checked and not blamed.
assert log.contains('ModelBridge checked 2 model files in ')
assert !findings[0].contains('tiny-cnn.onnx')
assert log =~ /ModelBridge found 1 error, \d+ warnings? in 1 of 2 model files/
assert log =~ /modelbridge-maven-plugin:[^:]+:validate/
assert log.contains('BUILD FAILURE')
return true
